variable "create" {
  description = "Whether to create the key"
  type        = bool
  default     = true
}

variable "description" {
  type    = string
  default = "Streaming pipeline key"
}

variable "enable_key_rotation" {
  type    = bool
  default = true
}

variable "alias" {
  type    = string
  default = null
}

variable "tags" {
  type    = map(string)
  default = {}
}
