"""Generate a benchmark corpus: N streaming pipeline stacks in one Terraform directory.

Each stack is 9 resources — KMS key, alias, Kinesis stream, S3 bucket with its encryption
configuration, IAM role and role policy, Firehose delivery stream (Kinesis source, S3
destination) and a Managed Flink application — written one stack per .tf file, with a realistic
mix of secure and insecure settings so every kind of rule has work to do.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

RESOURCES_PER_STACK = 9

_STACK = """\
resource "aws_kms_key" "k{i}" {{
  description             = "pipeline {i}"
  enable_key_rotation     = {rotation}
  customer_master_key_spec = "{spec}"
}}

resource "aws_kms_alias" "a{i}" {{
  name          = "alias/pipeline-{i}"
  target_key_id = aws_kms_key.k{i}.key_id
}}

resource "aws_kinesis_stream" "s{i}" {{
  name            = "events-{i}"
  shard_count     = 2
  encryption_type = "{encryption}"
  kms_key_id      = aws_kms_alias.a{i}.arn
}}

resource "aws_s3_bucket" "b{i}" {{
  bucket = "pipeline-archive-{i}"
}}

resource "aws_s3_bucket_server_side_encryption_configuration" "e{i}" {{
  bucket = aws_s3_bucket.b{i}.id
  rule {{
    apply_server_side_encryption_by_default {{
      sse_algorithm     = "{sse}"
      kms_master_key_id = aws_kms_key.k{i}.arn
    }}
  }}
}}

resource "aws_iam_role" "r{i}" {{
  name = "pipeline-{i}"
  assume_role_policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = {{ Service = ["firehose.amazonaws.com", "kinesisanalytics.amazonaws.com"] }}
    }}]
  }})
}}

resource "aws_iam_role_policy" "p{i}" {{
  name = "pipeline-{i}"
  role = aws_iam_role.r{i}.id
  policy = jsonencode({{
    Version = "2012-10-17"
    Statement = [{{
      Effect   = "Allow"
      Action   = ["{action}", "s3:PutObject"]
      Resource = [aws_kinesis_stream.s{i}.arn, "${{aws_s3_bucket.b{i}.arn}}/*"]
    }}]
  }})
}}

resource "aws_kinesis_firehose_delivery_stream" "f{i}" {{
  name        = "archive-{i}"
  destination = "extended_s3"
  kinesis_source_configuration {{
    kinesis_stream_arn = aws_kinesis_stream.s{i}.arn
    role_arn           = aws_iam_role.r{i}.arn
  }}
  extended_s3_configuration {{
    role_arn    = aws_iam_role.r{i}.arn
    bucket_arn  = aws_s3_bucket.b{i}.arn
    kms_key_arn = {s3_key}
  }}
}}

resource "aws_kinesisanalyticsv2_application" "app{i}" {{
  name                   = "enrich-{i}"
  runtime_environment    = "FLINK-1_18"
  service_execution_role = aws_iam_role.r{i}.arn
  application_configuration {{
    application_code_configuration {{
      code_content_type = "ZIPFILE"
      code_content {{
        s3_content_location {{
          bucket_arn = aws_s3_bucket.b{i}.arn
          file_key   = "enrich.zip"
        }}
      }}
    }}
    application_snapshot_configuration {{
      snapshots_enabled = {snapshots}
    }}
  }}
}}
"""


def stack(i: int) -> str:
    """Stack i; every few stacks get one of the mistakes the rules look for."""
    return _STACK.format(
        i=i,
        rotation="false" if i % 5 == 0 else "true",
        spec="RSA_2048" if i % 11 == 0 else "SYMMETRIC_DEFAULT",
        encryption="NONE" if i % 7 == 0 else "KMS",
        sse="AES256" if i % 6 == 0 else "aws:kms",
        action="kinesis:*" if i % 4 == 0 else "kinesis:GetRecords",
        s3_key="null" if i % 3 == 0 else f"aws_kms_key.k{i}.arn",
        snapshots="false" if i % 8 == 0 else "true",
    )


def write(directory: Path, stacks: int) -> int:
    """Write the corpus; returns the number of resources."""
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("stack_*.tf"):
        old.unlink()
    for i in range(stacks):
        (directory / f"stack_{i:05d}.tf").write_text(stack(i), encoding="utf-8")
    (directory / "corpus.json").write_text(json.dumps({"stacks": stacks, "resources": stacks * RESOURCES_PER_STACK}))
    return stacks * RESOURCES_PER_STACK


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--stacks", type=int, default=1000)
    args = parser.parse_args()
    print(f"{write(args.directory, args.stacks)} resources in {args.directory}")


if __name__ == "__main__":
    main()
