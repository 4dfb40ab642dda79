variable "region" {
  description = "AWS region"
  type        = string
  default     = "eu-west-1"
}

variable "environment" {
  description = "Deployment environment"
  type        = string
}

variable "db_encrypted" {
  description = "Encrypt the orders database"
  type        = bool
  default     = true
}
