// The exit codes a scheduler sees, one per outcome.
namespace Etl.Runtime;

public static class ExitCode
{
    public const int Success = 0;
    public const int RunFailed = 1;
    public const int InvalidSpec = 2;
    public const int TooManyFailures = 3;
    public const int Conflict = 4;

    /// <summary>etl commit of a sharded run: a shard's manifest is missing, or a shard failed; nothing was committed.</summary>
    public const int ShardsIncomplete = 5;
    public const int Cancelled = 130;

    public const string Help =
        "Exit codes: 0 success; 1 the run failed; 2 invalid spec or usage; 3 more failed records or requests than allowed (nothing committed); 4 a concurrent run committed first and this run conflicts with it (an overwrite of the same data; nothing committed); 5 (etl commit) a shard is missing or failed, nothing committed; 130 cancelled.";
}
