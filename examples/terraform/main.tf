# Example clickstream pipeline: Kinesis stream -> Firehose -> S3, with a Managed Flink
# application enriching the stream. `make scan` runs streamguard over this directory.
# It has a few of the mistakes streamguard exists to catch; each is marked "mistake:".

provider "aws" {
  region = var.region
}

variable "region" {
  default = "eu-west-1"
}

variable "collector_url" {
  description = "Partner collector that receives a copy of every event"
  default     = "http://collector.partner.example.com/ingest" # mistake: plain HTTP
}

resource "aws_kms_key" "pipeline" {
  description         = "clickstream pipeline data"
  enable_key_rotation = true
}

resource "aws_kms_alias" "pipeline" {
  name          = "alias/clickstream"
  target_key_id = aws_kms_key.pipeline.key_id
}

# mistake: an asymmetric key cannot encrypt a Kinesis stream or Firehose data
resource "aws_kms_key" "signing" {
  description              = "signing key, wrongly reused for the raw stream"
  customer_master_key_spec = "RSA_2048"
  key_usage                = "SIGN_VERIFY"
}

resource "aws_kinesis_stream" "clicks" {
  name            = "clickstream"
  shard_count     = 4
  encryption_type = "KMS"
  kms_key_id      = aws_kms_alias.pipeline.arn
}

# mistake: no server-side encryption
resource "aws_kinesis_stream" "raw" {
  name        = "clickstream-raw"
  shard_count = 2
}

resource "aws_s3_bucket" "archive" {
  bucket = "clickstream-archive-example"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "archive" {
  bucket = aws_s3_bucket.archive.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.pipeline.arn
    }
  }
}

resource "aws_iam_role" "firehose" {
  name = "clickstream-firehose"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "firehose.amazonaws.com" }
    }]
  })
}

resource "aws_iam_role_policy" "firehose" {
  name = "clickstream-firehose"
  role = aws_iam_role.firehose.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadStream"
        Effect   = "Allow"
        Action   = "kinesis:*" # mistake: wildcard action
        Resource = aws_kinesis_stream.clicks.arn
      },
      {
        Sid      = "WriteArchive"
        Effect   = "Allow"
        Action   = ["s3:PutObject", "s3:GetBucketLocation"]
        Resource = ["${aws_s3_bucket.archive.arn}", "${aws_s3_bucket.archive.arn}/*"]
      }
    ]
  })
}

resource "aws_kinesis_firehose_delivery_stream" "archive" {
  name        = "clickstream-archive"
  destination = "extended_s3"

  kinesis_source_configuration {
    kinesis_stream_arn = aws_kinesis_stream.clicks.arn
    role_arn           = aws_iam_role.firehose.arn
  }

  extended_s3_configuration {
    role_arn   = aws_iam_role.firehose.arn
    bucket_arn = aws_s3_bucket.archive.arn
    # mistake: objects are not encrypted with a KMS key (no kms_key_arn)
  }
}

resource "aws_kinesis_firehose_delivery_stream" "partner" {
  name        = "clickstream-partner"
  destination = "http_endpoint"

  # mistake: Direct PUT without server_side_encryption

  http_endpoint_configuration {
    url      = var.collector_url
    name     = "partner"
    role_arn = aws_iam_role.firehose.arn
    s3_configuration {
      role_arn    = aws_iam_role.firehose.arn
      bucket_arn  = aws_s3_bucket.archive.arn
      kms_key_arn = aws_kms_key.signing.arn
    }
  }
}

resource "aws_iam_role" "flink" {
  name = "clickstream-enrich"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "kinesisanalytics.amazonaws.com" }
    }]
  })
}

resource "aws_kinesisanalyticsv2_application" "enrich" {
  name                   = "clickstream-enrich"
  runtime_environment    = "FLINK-1_19"
  service_execution_role = aws_iam_role.flink.arn

  application_configuration {
    application_code_configuration {
      code_content_type = "ZIPFILE"
      code_content {
        s3_content_location {
          bucket_arn = aws_s3_bucket.archive.arn
          file_key   = "apps/enrich-1.4.0.jar"
        }
      }
    }
    # mistake: snapshots are off, and no CloudWatch logging is configured
    application_snapshot_configuration {
      snapshots_enabled = false
    }
  }
}
