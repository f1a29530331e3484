
okfinebad Ã(