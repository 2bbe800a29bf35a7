data "google_project" "current" {}

resource "google_project_service" "required" {
  for_each = toset([
    "cloudfunctions.googleapis.com",
    "run.googleapis.com",
    "cloudbuild.googleapis.com",
    "artifactregistry.googleapis.com",
    "eventarc.googleapis.com",
    "pubsub.googleapis.com",
    "secretmanager.googleapis.com",
  ])
  service            = each.value
  disable_on_destroy = false
}

# ---- identities: one service account per function ----

resource "google_service_account" "webhook" {
  account_id   = "${var.name}-webhook"
  display_name = "twiml-guard webhook (reads the Twilio auth token)"
}

resource "google_service_account" "rotation" {
  account_id   = "${var.name}-rotation"
  display_name = "twiml-guard rotation (adds Twilio auth token versions)"
}

# Secret Manager's service agent publishes the rotation messages; it exists once the API has been used.
resource "google_project_service_identity" "secret_manager_agent" {
  provider   = google-beta
  service    = "secretmanager.googleapis.com"
  depends_on = [google_project_service.required]
}

# ---- rotation schedule: Secret Manager -> Pub/Sub topic -> rotation function ----

resource "google_pubsub_topic" "rotation" {
  name       = "${var.name}-secret-rotation"
  depends_on = [google_project_service.required]
}

resource "google_pubsub_topic_iam_member" "secret_manager_publishes" {
  topic  = google_pubsub_topic.rotation.id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:${google_project_service_identity.secret_manager_agent.email}"
}

# The value is not managed here (it would land in the state file): add the first version with
# `gcloud secrets versions add`. The topic also receives SECRET_VERSION_ADD etc.; the rotation
# function acts on eventType SECRET_ROTATE only, so its own new version does not loop.
resource "google_secret_manager_secret" "twilio_auth_token" {
  secret_id = var.secret_id
  replication {
    auto {}
  }
  topics {
    name = google_pubsub_topic.rotation.id
  }
  rotation {
    next_rotation_time = var.first_rotation_time
    rotation_period    = var.rotation_period
  }
  labels = { app = "twiml-guard" }
  # Secret Manager checks it may publish before it accepts the topic.
  depends_on = [google_pubsub_topic_iam_member.secret_manager_publishes]
}

# ---- least privilege on the one secret ----

resource "google_secret_manager_secret_iam_member" "webhook_reads" {
  secret_id = google_secret_manager_secret.twilio_auth_token.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.webhook.email}"
}

resource "google_secret_manager_secret_iam_member" "rotation_adds_versions" {
  secret_id = google_secret_manager_secret.twilio_auth_token.id
  role      = "roles/secretmanager.secretVersionAdder"
  member    = "serviceAccount:${google_service_account.rotation.email}"
}

# Rotation calls Twilio with the current token to create and promote the next one, so it reads too.
resource "google_secret_manager_secret_iam_member" "rotation_reads" {
  secret_id = google_secret_manager_secret.twilio_auth_token.id
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_service_account.rotation.email}"
}

# The rotation records a lease in the secret's annotations, written with the secret's etag, so two
# deliveries of one SECRET_ROTATE never rotate at once: it reads and updates the secret's metadata
# (never its versions' payloads). No predefined role has exactly these two permissions.
resource "google_project_iam_custom_role" "rotation_lease" {
  role_id     = replace("${var.name}_rotation_lease", "-", "_")
  title       = "twiml-guard rotation lease"
  description = "Read and update a secret's metadata (the rotation lease annotation)."
  permissions = ["secretmanager.secrets.get", "secretmanager.secrets.update"]
}

resource "google_secret_manager_secret_iam_member" "rotation_holds_lease" {
  secret_id = google_secret_manager_secret.twilio_auth_token.id
  role      = google_project_iam_custom_role.rotation_lease.id
  member    = "serviceAccount:${google_service_account.rotation.email}"
}

# ---- function source ----

resource "google_storage_bucket" "source" {
  name                        = "${var.project_id}-${var.name}-source"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true
}

resource "google_storage_bucket_object" "webhook_source" {
  name   = "webhook-${filemd5(var.webhook_source_zip)}.zip"
  bucket = google_storage_bucket.source.name
  source = var.webhook_source_zip
}

resource "google_storage_bucket_object" "rotation_source" {
  name   = "rotation-${filemd5(var.rotation_source_zip)}.zip"
  bucket = google_storage_bucket.source.name
  source = var.rotation_source_zip
}
