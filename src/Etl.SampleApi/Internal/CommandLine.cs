// Parses the command line of etl-sample-api into a URL and server options.
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Etl.SampleApi.Internal;

internal sealed record CommandLine(string Url, SampleApiOptions Options, bool ShowHelp)
{
    public const string Usage = """
        Usage: etl-sample-api [options]
          --urls <url>          where to listen (default http://127.0.0.1:5080; port 0 picks a free port)
          --latency-ms <n>      delay added to every response, in ms (default 0)
          --fail-rate <p>       probability in [0, 1] that a request gets a 500, 503 or 429 (default 0)
          --seed <n>            seed of the generated data and of the faults (default 42)
          --order-count <n>     size of the /orders collection (default 1000)
          --token <token>       require Authorization: Bearer <token>
          --max-in-flight <n>   answer 429 at once to a request arriving while more than n are in flight
          --rate <n>            an undeclared limit of n requests/s (a token bucket): 429 beyond it, no RateLimit headers
          --retry-after <s>     Retry-After of 429 and 503 answers, in seconds (default 1)
          -h, --help            show this help
        """;

    public static bool TryParse(string[] args, [NotNullWhen(true)] out CommandLine? command, [NotNullWhen(false)] out string? error)
    {
        command = new CommandLine(SampleApiDefaults.CliUrl, new SampleApiOptions { RecordRequests = false }, ShowHelp: false);
        error = null;
        for (var i = 0; i < args.Length; i++)
        {
            var (name, inlineValue) = args[i].Split('=', 2) is [var n, var v] && n.StartsWith("--", StringComparison.Ordinal)
                ? (n, v) : (args[i], null);
            if (name is "-h" or "--help")
            {
                command = command with { ShowHelp = true };
                continue;
            }
            if (!name.StartsWith("--", StringComparison.Ordinal))
                return Fail($"unexpected argument \"{args[i]}\"", out command, out error);
            var value = inlineValue ?? (i + 1 < args.Length ? args[++i] : null);
            if (value is null)
                return Fail($"{name}: expected a value; found nothing", out command, out error);

            var options = command.Options;
            switch (name)
            {
                case "--urls" when value.Contains(';', StringComparison.Ordinal):
                    return Fail($"--urls: expected one URL; found \"{value}\"", out command, out error);
                case "--urls":
                    command = command with { Url = value };
                    break;
                case "--latency-ms" when TryInt(value, out var latency):
                    command = command with { Options = options with { LatencyMs = latency } };
                    break;
                case "--fail-rate" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate):
                    command = command with { Options = options with { TransientFailureRate = rate } };
                    break;
                case "--seed" when TryInt(value, out var seed):
                    command = command with { Options = options with { Seed = seed } };
                    break;
                case "--order-count" when TryInt(value, out var count):
                    command = command with { Options = options with { OrderCount = count } };
                    break;
                case "--max-in-flight" when TryInt(value, out var maxInFlight):
                    command = command with { Options = options with { MaxInFlightBefore429 = maxInFlight } };
                    break;
                case "--rate" when TryInt(value, out var perSecond):
                    command = command with { Options = options with { UndeclaredRequestsPerSecond = perSecond } };
                    break;
                case "--retry-after" when TryInt(value, out var retryAfter):
                    command = command with { Options = options with { RetryAfterSeconds = retryAfter } };
                    break;
                case "--token":
                    command = command with { Options = options with { RequiredBearerToken = value } };
                    break;
                case "--latency-ms" or "--fail-rate" or "--seed" or "--order-count" or "--max-in-flight" or "--rate" or "--retry-after":
                    return Fail($"{name}: expected a number; found \"{value}\"", out command, out error);
                default:
                    return Fail($"unknown option \"{name}\"", out command, out error);
            }
        }
        return true;
    }

    private static bool TryInt(string value, out int result) =>
        int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result);

    private static bool Fail(string message, out CommandLine? command, out string error)
    {
        command = null;
        error = "etl-sample-api: " + message;
        return false;
    }
}
