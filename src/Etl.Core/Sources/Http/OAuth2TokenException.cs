// Thrown when an OAuth2 token endpoint fails for good: it stops the run (exit 1) rather than dead-lettering every request.
namespace Etl.Sources.Http;

public sealed class OAuth2TokenException(string message) : Exception(message);
