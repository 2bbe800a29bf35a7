# The value is not managed here (it would land in the state file): after apply, put
# {"accountSid": "...", "authToken": "..."} with `aws secretsmanager put-secret-value`.
resource "aws_secretsmanager_secret" "twilio_auth_token" {
  name        = "twilio/auth-token/${var.twilio_account_sid}"
  description = "Twilio auth token (JSON {accountSid, authToken}) read by the webhook, rotated by the rotation Lambda."
}

resource "aws_lambda_permission" "rotation_by_secrets_manager" {
  statement_id   = "AllowSecretsManagerRotation"
  action         = "lambda:InvokeFunction"
  function_name  = aws_lambda_function.rotation.function_name
  principal      = "secretsmanager.amazonaws.com"
  source_arn     = aws_secretsmanager_secret.twilio_auth_token.arn
  source_account = data.aws_caller_identity.current.account_id
}

resource "aws_secretsmanager_secret_rotation" "twilio_auth_token" {
  secret_id           = aws_secretsmanager_secret.twilio_auth_token.id
  rotation_lambda_arn = aws_lambda_function.rotation.arn
  # Rotating at apply time would call Twilio before the real token has been put.
  rotate_immediately = false
  rotation_rules {
    schedule_expression = var.rotation_schedule_expression
  }
  depends_on = [aws_lambda_permission.rotation_by_secrets_manager]
}
