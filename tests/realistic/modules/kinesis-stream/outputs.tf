output "stream_arn" {
  value = aws_kinesis_stream.this[0].arn
}
