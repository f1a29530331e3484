
truncated que