terraform {
  required_version = ">= 1.5"
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Team = "payments"
    }
  }
}

resource "aws_db_instance" "orders" {
  identifier              = "orders-${var.environment}"
  engine                  = "postgres"
  instance_class          = "db.t3.medium"
  allocated_storage       = 50
  storage_encrypted       = var.db_encrypted
  backup_retention_period = 1
  publicly_accessible     = false
}

resource "aws_s3_bucket" "invoices" {
  bucket = "acme-invoices-${var.environment}"
}

resource "aws_s3_bucket_versioning" "invoices" {
  bucket = aws_s3_bucket.invoices.id
  versioning_configuration {
    status = "Enabled"
  }
}

module "vpc" {
  source = "terraform-aws-modules/vpc/aws"
  name   = "payments"
}
