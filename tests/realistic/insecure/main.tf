# The insecure configuration: the same modules with their toggles left at insecure defaults.

resource "aws_s3_bucket" "archive" {
  bucket = "clickstream-archive"
}

module "keys" {
  source              = "../modules/kms"
  enable_key_rotation = false
}

module "stream" {
  source = "../modules/kinesis-stream"
  name   = "clickstream"
}

module "delivery" {
  source            = "../modules/firehose"
  name              = "clickstream-archive"
  role_arn          = "arn:aws:iam::123456789012:role/delivery"
  bucket_arn        = aws_s3_bucket.archive.arn
  source_stream_arn = module.stream.stream_arn
}

module "direct_put" {
  source     = "../modules/firehose"
  name       = "clickstream-direct"
  role_arn   = "arn:aws:iam::123456789012:role/delivery"
  bucket_arn = aws_s3_bucket.archive.arn
}
