resource "aws_kinesis_stream" "this" {
  count = var.create ? 1 : 0

  name             = var.name
  shard_count      = var.stream_mode == "PROVISIONED" ? var.shard_count : null
  retention_period = var.retention_period
  encryption_type  = var.kms_key_id == null ? "NONE" : "KMS"
  kms_key_id       = var.kms_key_id

  dynamic "stream_mode_details" {
    for_each = var.stream_mode != null ? [var.stream_mode] : []
    content {
      stream_mode = stream_mode_details.value
    }
  }

  tags = var.tags
}
