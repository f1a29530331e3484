
What is an MDT?mdt