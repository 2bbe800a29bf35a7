resource "google_cloudfunctions2_function" "webhook" {
  name        = "${var.name}-webhook"
  location    = var.region
  description = "Answers Twilio webhooks with TwiML; refuses unsigned requests."

  build_config {
    runtime     = "nodejs22"
    entry_point = var.webhook_entry_point
    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.webhook_source.name
      }
    }
  }

  service_config {
    service_account_email          = google_service_account.webhook.email
    available_memory               = "256M"
    timeout_seconds                = 10
    max_instance_count             = 20
    ingress_settings               = "ALLOW_ALL"
    all_traffic_on_latest_revision = true
    environment_variables = {
      # Full resource name; the function reads versions/latest through the SDK and caches it.
      TWILIO_AUTH_TOKEN_SECRET = google_secret_manager_secret.twilio_auth_token.id
    }
  }

  depends_on = [google_project_service.required, google_secret_manager_secret_iam_member.webhook_reads]
}

# Twilio cannot present a Google identity: the function is public and X-Twilio-Signature is the check.
resource "google_cloud_run_service_iam_member" "webhook_public" {
  location = google_cloudfunctions2_function.webhook.location
  service  = google_cloudfunctions2_function.webhook.service_config[0].service
  role     = "roles/run.invoker"
  member   = "allUsers"
}

resource "google_cloudfunctions2_function" "rotation" {
  name        = "${var.name}-rotation"
  location    = var.region
  description = "Rotates the Twilio auth token on Secret Manager's SECRET_ROTATE message."

  build_config {
    runtime     = "nodejs22"
    entry_point = var.rotation_entry_point
    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.rotation_source.name
      }
    }
  }

  service_config {
    service_account_email          = google_service_account.rotation.email
    available_memory               = "256M"
    timeout_seconds                = 540
    max_instance_count             = 1
    ingress_settings               = "ALLOW_INTERNAL_ONLY"
    all_traffic_on_latest_revision = true
    environment_variables = {
      TWILIO_AUTH_TOKEN_SECRET = google_secret_manager_secret.twilio_auth_token.id
    }
  }

  event_trigger {
    trigger_region        = var.region
    event_type            = "google.cloud.pubsub.topic.v1.messagePublished"
    pubsub_topic          = google_pubsub_topic.rotation.id
    retry_policy          = "RETRY_POLICY_RETRY"
    service_account_email = google_service_account.rotation.email
  }

  depends_on = [google_project_service.required, google_secret_manager_secret_iam_member.rotation_adds_versions]
}

# Eventarc delivers with the trigger's service account, which must be allowed to invoke the service.
resource "google_cloud_run_service_iam_member" "rotation_trigger_invokes" {
  location = google_cloudfunctions2_function.rotation.location
  service  = google_cloudfunctions2_function.rotation.service_config[0].service
  role     = "roles/run.invoker"
  member   = "serviceAccount:${google_service_account.rotation.email}"
}
