resource "aws_cloudwatch_log_group" "webhook" {
  name              = "/aws/lambda/${var.name}-webhook"
  retention_in_days = 30
}

resource "aws_cloudwatch_log_group" "rotation" {
  name              = "/aws/lambda/${var.name}-rotation"
  retention_in_days = 30
}

locals {
  use_http_api      = var.api_type == "http"
  use_rest_api      = var.api_type == "rest"
  has_custom_domain = local.use_rest_api && var.domain_name != ""
  # The URL Twilio signs, told to the function explicitly: behind a base-path mapping the event's path
  # lacks the base path, so inference cannot rebuild it.
  public_base_url = (
    local.use_http_api ? aws_apigatewayv2_api.http[0].api_endpoint :
    local.has_custom_domain ? (var.base_path != "" ? "https://${var.domain_name}/${var.base_path}" : "https://${var.domain_name}") :
    "https://${aws_api_gateway_rest_api.rest[0].id}.execute-api.${var.region}.amazonaws.com/${var.stage_name}"
  )
}

resource "aws_lambda_function" "webhook" {
  function_name    = "${var.name}-webhook"
  description      = "Answers Twilio webhooks with TwiML; refuses unsigned requests."
  runtime          = "nodejs22.x"
  architectures    = ["arm64"]
  handler          = var.webhook_handler
  filename         = var.webhook_zip
  source_code_hash = filebase64sha256(var.webhook_zip)
  memory_size      = 512
  timeout          = 10
  role             = aws_iam_role.webhook.arn

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.webhook.name
  }

  environment {
    variables = {
      TWILIO_AUTH_TOKEN_SECRET_ID = aws_secretsmanager_secret.twilio_auth_token.arn
      PUBLIC_BASE_URL             = local.public_base_url
    }
  }

  depends_on = [aws_iam_role_policy.webhook]
}

resource "aws_lambda_function" "rotation" {
  function_name    = "${var.name}-rotation"
  description      = "Rotates the Twilio auth token (secondary token, promote) for Secrets Manager."
  runtime          = "nodejs22.x"
  architectures    = ["arm64"]
  handler          = "rotation.handler"
  filename         = var.rotation_zip
  source_code_hash = filebase64sha256(var.rotation_zip)
  memory_size      = 256
  # setSecret may wait out the webhook's token cache before promoting.
  timeout = 900
  role    = aws_iam_role.rotation.arn

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.rotation.name
  }

  depends_on = [aws_iam_role_policy.rotation]
}
