resource "aws_kms_key" "this" {
  count = var.create ? 1 : 0

  description             = var.description
  enable_key_rotation     = var.enable_key_rotation
  deletion_window_in_days = 30
  tags                    = var.tags
}

resource "aws_kms_alias" "this" {
  count = var.create && var.alias != null ? 1 : 0

  name          = "alias/${var.alias}"
  target_key_id = aws_kms_key.this[0].key_id
}
