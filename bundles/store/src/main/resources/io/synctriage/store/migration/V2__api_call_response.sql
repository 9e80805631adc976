-- The response body of an API call (JSON text when it was an object). An error response such as Graph's
-- MailboxNotEnabledForRESTAPI on a 404 is evidence for the provider checks, so stored diagnoses need it too.
ALTER TABLE api_calls ADD COLUMN response_text VARCHAR;
