# The secure configuration: every toggle on, keys passed between modules.

resource "aws_iam_role" "firehose" {
  name = "clickstream-delivery"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "firehose.amazonaws.com" }
    }]
  })
}

resource "aws_s3_bucket" "archive" {
  bucket = "clickstream-archive"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "archive" {
  bucket = aws_s3_bucket.archive.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = module.keys.key_arn
    }
  }
}

module "keys" {
  source = "../modules/kms"
  alias  = "clickstream"
}

module "stream" {
  source           = "../modules/kinesis-stream"
  name             = "clickstream"
  retention_period = 48
  kms_key_id       = module.keys.key_arn
}

module "delivery" {
  source            = "../modules/firehose"
  name              = "clickstream-archive"
  role_arn          = aws_iam_role.firehose.arn
  bucket_arn        = aws_s3_bucket.archive.arn
  source_stream_arn = module.stream.stream_arn
  s3_kms_key_arn    = module.keys.key_arn
}

module "direct_put" {
  source         = "../modules/firehose"
  name           = "clickstream-direct"
  role_arn       = aws_iam_role.firehose.arn
  bucket_arn     = aws_s3_bucket.archive.arn
  enable_sse     = true
  s3_kms_key_arn = module.keys.key_arn
}

module "disabled" {
  source   = "../modules/kinesis-stream"
  create   = false
  name     = "not-created"
}
