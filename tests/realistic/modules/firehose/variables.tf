variable "create" {
  type    = bool
  default = true
}

variable "name" {
  type = string
}

variable "role_arn" {
  type = string
}

variable "bucket_arn" {
  type = string
}

variable "source_stream_arn" {
  type    = string
  default = null
}

variable "enable_sse" {
  type    = bool
  default = false
}

variable "sse_key_type" {
  type    = string
  default = "AWS_OWNED_CMK"
}

variable "sse_key_arn" {
  type    = string
  default = null
}

variable "s3_kms_key_arn" {
  type    = string
  default = null
}
