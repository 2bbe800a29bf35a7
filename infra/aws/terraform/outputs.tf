output "webhook_url" {
  description = "Paste this into the Twilio console (A message comes in / A call comes in)."
  value       = "${local.public_base_url}/${var.webhook_path}"
}

output "public_base_url" {
  description = "What the webhook function receives as PUBLIC_BASE_URL."
  value       = local.public_base_url
}

output "secret_arn" {
  description = "Put the real token here with aws secretsmanager put-secret-value."
  value       = aws_secretsmanager_secret.twilio_auth_token.arn
}

output "custom_domain_target" {
  description = "Point a DNS alias (or CNAME) for domain_name at this regional endpoint."
  value       = local.has_custom_domain ? aws_api_gateway_domain_name.custom[0].regional_domain_name : null
}

output "webhook_function_name" {
  value = aws_lambda_function.webhook.function_name
}

output "rotation_function_name" {
  value = aws_lambda_function.rotation.function_name
}
