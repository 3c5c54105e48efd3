// What an HTTP source does with a 2xx whose body cannot be read as a page: retry it like a 5xx, or dead-letter it at once.
namespace Etl.Sources.Http;

public enum BodyFailure
{
    /// <summary>Another attempt with a fresh request, within retry.maxAttempts.</summary>
    Retry,

    /// <summary>Dead-lettered after this attempt.</summary>
    Fail,
}
