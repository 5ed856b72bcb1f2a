# Inputs of the stream module; an empty file beside it (versions.tf) is valid Terraform.

variable "create" {
  type    = bool
  default = true
}

variable "name" {
  type = string
}

variable "stream_mode" {
  type    = string
  default = "PROVISIONED"
}

variable "shard_count" {
  type    = number
  default = 1
}

variable "retention_period" {
  type    = number
  default = 24
}

variable "kms_key_id" {
  description = "KMS key for server-side encryption; null leaves the stream unencrypted"
  type        = string
  default     = null
}

variable "tags" {
  type    = map(string)
  default = {}
}
