# ---- HTTP API (api_type = "http") ----

resource "aws_apigatewayv2_api" "http" {
  count         = local.use_http_api ? 1 : 0
  name          = "${var.name}-http"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "webhook" {
  count                  = local.use_http_api ? 1 : 0
  api_id                 = aws_apigatewayv2_api.http[0].id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.webhook.arn
  payload_format_version = "2.0"
  timeout_milliseconds   = 10000
}

resource "aws_apigatewayv2_route" "webhook" {
  count     = local.use_http_api ? 1 : 0
  api_id    = aws_apigatewayv2_api.http[0].id
  route_key = "POST /${var.webhook_path}"
  target    = "integrations/${aws_apigatewayv2_integration.webhook[0].id}"
}

resource "aws_apigatewayv2_stage" "default" {
  count       = local.use_http_api ? 1 : 0
  api_id      = aws_apigatewayv2_api.http[0].id
  name        = "$default"
  auto_deploy = true
}

resource "aws_lambda_permission" "http_api" {
  count         = local.use_http_api ? 1 : 0
  statement_id  = "AllowHttpApiInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.webhook.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.http[0].execution_arn}/*/POST/${var.webhook_path}"
}

# ---- REST API (api_type = "rest"), optional custom domain with base-path mapping ----

resource "aws_api_gateway_rest_api" "rest" {
  count = local.use_rest_api ? 1 : 0
  name  = "${var.name}-rest"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_resource" "webhook" {
  count       = local.use_rest_api ? 1 : 0
  rest_api_id = aws_api_gateway_rest_api.rest[0].id
  parent_id   = aws_api_gateway_rest_api.rest[0].root_resource_id
  path_part   = var.webhook_path
}

# No API Gateway authorizer: Twilio cannot send one. The function checks X-Twilio-Signature itself.
resource "aws_api_gateway_method" "webhook" {
  count         = local.use_rest_api ? 1 : 0
  rest_api_id   = aws_api_gateway_rest_api.rest[0].id
  resource_id   = aws_api_gateway_resource.webhook[0].id
  http_method   = "POST"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "webhook" {
  count                   = local.use_rest_api ? 1 : 0
  rest_api_id             = aws_api_gateway_rest_api.rest[0].id
  resource_id             = aws_api_gateway_resource.webhook[0].id
  http_method             = aws_api_gateway_method.webhook[0].http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.webhook.invoke_arn
}

resource "aws_api_gateway_deployment" "rest" {
  count       = local.use_rest_api ? 1 : 0
  rest_api_id = aws_api_gateway_rest_api.rest[0].id
  # A new deployment whenever the route or its integration changes.
  triggers = {
    redeployment = sha1(jsonencode([aws_api_gateway_resource.webhook[0].id, aws_api_gateway_method.webhook[0].id, aws_api_gateway_integration.webhook[0].id]))
  }
  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_stage" "rest" {
  count         = local.use_rest_api ? 1 : 0
  rest_api_id   = aws_api_gateway_rest_api.rest[0].id
  deployment_id = aws_api_gateway_deployment.rest[0].id
  stage_name    = var.stage_name
}

resource "aws_lambda_permission" "rest_api" {
  count         = local.use_rest_api ? 1 : 0
  statement_id  = "AllowRestApiInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.webhook.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.rest[0].execution_arn}/*/POST/${var.webhook_path}"
}

resource "aws_api_gateway_domain_name" "custom" {
  count                    = local.has_custom_domain ? 1 : 0
  domain_name              = var.domain_name
  regional_certificate_arn = var.certificate_arn
  security_policy          = "TLS_1_2"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
  lifecycle {
    precondition {
      condition     = var.certificate_arn != ""
      error_message = "certificate_arn is required when domain_name is set."
    }
  }
}

resource "aws_api_gateway_base_path_mapping" "custom" {
  count       = local.has_custom_domain ? 1 : 0
  api_id      = aws_api_gateway_rest_api.rest[0].id
  stage_name  = aws_api_gateway_stage.rest[0].stage_name
  domain_name = aws_api_gateway_domain_name.custom[0].domain_name
  base_path   = var.base_path != "" ? var.base_path : null
}
