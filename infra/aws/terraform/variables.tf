variable "region" {
  type        = string
  description = "AWS region for every resource."
  default     = "us-east-1"
}

variable "name" {
  type        = string
  description = "Prefix for resource names."
  default     = "twiml-guard"
}

variable "twilio_account_sid" {
  type        = string
  description = "Account whose auth token the secret holds. The token itself is never a variable."
  validation {
    condition     = can(regex("^AC[0-9a-fA-F]{32}$", var.twilio_account_sid))
    error_message = "twilio_account_sid must be AC followed by 32 hex characters."
  }
}

variable "webhook_zip" {
  type        = string
  description = "Built webhook bundle (zip) on local disk."
  default     = "../../../dist/sms-auto-reply.zip"
}

variable "webhook_handler" {
  type        = string
  description = "Handler export inside the webhook bundle."
  default     = "index.handler"
}

variable "rotation_zip" {
  type        = string
  description = "Built rotation bundle (zip); it must export handler from rotation.js."
  default     = "../../../dist/rotation.zip"
}

variable "api_type" {
  type        = string
  description = "http (API Gateway HTTP API, payload 2.0) or rest (REST API, payload 1.0, named stage)."
  default     = "http"
  validation {
    condition     = contains(["http", "rest"], var.api_type)
    error_message = "api_type must be http or rest."
  }
}

variable "webhook_path" {
  type        = string
  description = "One path segment Twilio posts to."
  default     = "sms"
}

variable "stage_name" {
  type        = string
  description = "REST API stage name (part of the execute-api URL)."
  default     = "v1"
}

variable "domain_name" {
  type        = string
  description = "Optional custom domain for the REST API (e.g. api.example.com). Empty uses the execute-api URL."
  default     = ""
}

variable "certificate_arn" {
  type        = string
  description = "Regional ACM certificate for domain_name, in var.region."
  default     = ""
}

variable "base_path" {
  type        = string
  description = "Base path of the mapping on the custom domain (e.g. v1). Empty maps the domain root."
  default     = ""
}

variable "rotation_schedule_expression" {
  type        = string
  description = "Secrets Manager rotation schedule, rate() or cron()."
  default     = "rate(30 days)"
}
