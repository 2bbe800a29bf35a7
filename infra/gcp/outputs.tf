output "webhook_url" {
  description = "Base URL of the webhook function; paste it (plus any path your handler expects) into the Twilio console."
  value       = google_cloudfunctions2_function.webhook.url
}

output "secret_name" {
  description = "Full resource name passed as TWILIO_AUTH_TOKEN_SECRET; add the first version here."
  value       = google_secret_manager_secret.twilio_auth_token.id
}

output "rotation_topic" {
  value = google_pubsub_topic.rotation.id
}

output "secret_manager_agent" {
  description = "Service agent granted roles/pubsub.publisher on the rotation topic."
  value       = google_project_service_identity.secret_manager_agent.email
}

output "secret_id" {
  description = "Short secret id for gcloud secrets versions add <id> --data-file=-."
  value       = google_secret_manager_secret.twilio_auth_token.secret_id
}

output "webhook_function_name" {
  description = "For gcloud functions logs read <name> --gen2 --region <region>."
  value       = google_cloudfunctions2_function.webhook.name
}
