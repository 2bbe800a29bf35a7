data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

# Webhook: reads AWSCURRENT and AWSPENDING of this one secret, writes its own log group. Nothing else.
data "aws_iam_policy_document" "webhook" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.twilio_auth_token.arn]
  }
  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.webhook.arn}:*"]
  }
}

# Rotation: the four calls of createSecret/setSecret/testSecret/finishSecret, on this secret only.
data "aws_iam_policy_document" "rotation" {
  statement {
    actions = [
      "secretsmanager:DescribeSecret",
      "secretsmanager:GetSecretValue",
      "secretsmanager:PutSecretValue",
      "secretsmanager:UpdateSecretVersionStage",
    ]
    resources = [aws_secretsmanager_secret.twilio_auth_token.arn]
  }
  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.rotation.arn}:*"]
  }
}

resource "aws_iam_role" "webhook" {
  name_prefix        = "${var.name}-webhook-"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

resource "aws_iam_role_policy" "webhook" {
  name   = "webhook-least-privilege"
  role   = aws_iam_role.webhook.id
  policy = data.aws_iam_policy_document.webhook.json
}

resource "aws_iam_role" "rotation" {
  name_prefix        = "${var.name}-rotation-"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

resource "aws_iam_role_policy" "rotation" {
  name   = "rotation-least-privilege"
  role   = aws_iam_role.rotation.id
  policy = data.aws_iam_policy_document.rotation.json
}
