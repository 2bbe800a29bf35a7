variable "project_id" {
  type        = string
  description = "GCP project that holds everything."
}

variable "region" {
  type        = string
  description = "Region of the functions and the source bucket."
  default     = "us-central1"
}

variable "name" {
  type        = string
  description = "Prefix for resource names (lower-case letters, digits, dashes)."
  default     = "twiml-guard"
}

variable "secret_id" {
  type        = string
  description = "Secret Manager secret id holding {\"accountSid\", \"authToken\"} JSON."
  default     = "twilio-auth-token"
}

variable "webhook_source_zip" {
  type        = string
  description = "Zip of the webhook function source (package.json + built JS) on local disk."
  default     = "../../dist/gcp-webhook.zip"
}

variable "webhook_entry_point" {
  type        = string
  description = "Functions Framework target name of the webhook (HTTP function)."
  default     = "smsAutoReply"
}

variable "rotation_source_zip" {
  type        = string
  description = "Zip of the rotation function source on local disk."
  default     = "../../dist/gcp-rotation.zip"
}

variable "rotation_entry_point" {
  type        = string
  description = "Functions Framework target name of the rotation function (CloudEvent function)."
  default     = "rotateTwilioAuthToken"
}

variable "rotation_period" {
  type        = string
  description = "Secret Manager rotation period, in seconds with an s suffix (at least 3600s)."
  default     = "2592000s" # 30 days
}

variable "first_rotation_time" {
  type        = string
  description = "RFC 3339 time of the first SECRET_ROTATE message (at least 5 minutes after apply); later ones follow rotation_period."
}
