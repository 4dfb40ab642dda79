environment  = "prod"
db_encrypted = false
