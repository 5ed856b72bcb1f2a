resource "aws_kinesis_firehose_delivery_stream" "this" {
  count = var.create ? 1 : 0

  name        = var.name
  destination = "extended_s3"

  dynamic "kinesis_source_configuration" {
    for_each = var.source_stream_arn != null ? [1] : []
    content {
      kinesis_stream_arn = var.source_stream_arn
      role_arn           = var.role_arn
    }
  }

  dynamic "server_side_encryption" {
    for_each = var.enable_sse == true ? [1] : []
    content {
      enabled  = true
      key_type = var.sse_key_type
      key_arn  = var.sse_key_type == "CUSTOMER_MANAGED_CMK" ? var.sse_key_arn : null
    }
  }

  extended_s3_configuration {
    role_arn    = var.role_arn
    bucket_arn  = var.bucket_arn
    kms_key_arn = var.s3_kms_key_arn
    prefix      = "data/"
  }
}
