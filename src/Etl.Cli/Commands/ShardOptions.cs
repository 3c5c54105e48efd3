// --shards, --shard and --run-id: which shard of which run a process is, from the command line or the scheduler's environment.
using System.CommandLine;
using System.Globalization;
using Etl.Lake;
using Etl.Runtime;

namespace Etl.Cli.Commands;

internal sealed class ShardOptions
{
    /// <summary>The shard index a Kubernetes Indexed Job gives each of its pods.</summary>
    public const string IndexVariable = "JOB_COMPLETION_INDEX";

    /// <summary>Where the run id comes from without --run-id, first set wins: ETL_RUN_ID (set it from the Job's uid, the
    /// workflow's uid…), then Airflow's run id, which its BashOperator exports to every task of a DAG run.</summary>
    public static readonly IReadOnlyList<string> RunIdVariables = ["ETL_RUN_ID", "AIRFLOW_CTX_DAG_RUN_ID"];

    public Option<int?> Shards { get; } = new("--shards")
    {
        Description = "Split the run into N shards: this process does one shard's share, leaves its files staged (invisible to readers) with a shard manifest in each sink's _runs/<run-id>/, and commits nothing; etl commit commits all shards once they are complete.",
        HelpName = "N",
    };

    public Option<int?> Shard { get; } = new("--shard")
    {
        Description = $"This process's shard, 0 to N-1. Default: ${IndexVariable} (set by a Kubernetes Indexed Job).",
        HelpName = "I",
    };

    public Option<string?> RunId { get; } = new("--run-id")
    {
        Description = $"The run all shards belong to, the same for every shard and for etl commit. Default: ${string.Join(", else $", RunIdVariables)}.",
        HelpName = "ID",
    };

    public void AddTo(Command command, bool withIndex)
    {
        command.Options.Add(Shards);
        if (withIndex)
        {
            command.Options.Add(Shard);
        }
        command.Options.Add(RunId);
    }

    /// <summary>The run id: --run-id, else the first variable of <see cref="RunIdVariables"/> that is set; made safe for
    /// paths (see <see cref="ShardLayout.SafeRunId"/>). Null when none is given.</summary>
    public string? ResolveRunId(ParseResult parse, Func<string, string?> environment)
    {
        var raw = parse.GetValue(RunId) ?? RunIdVariables.Select(environment).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        return string.IsNullOrWhiteSpace(raw) ? null : ShardLayout.SafeRunId(raw);
    }

    /// <summary>The shard of this process, or null without --shards; a usage error (exit 2) is thrown as a message.</summary>
    public Shard? Resolve(ParseResult parse, Func<string, string?> environment)
    {
        var count = parse.GetValue(Shards);
        var index = parse.GetValue(Shard);
        if (count is null)
        {
            if (index is not null || parse.GetValue(RunId) is not null)
            {
                throw new UsageException("--shard and --run-id go with --shards N");
            }
            return null;
        }
        if (count < 1)
        {
            throw new UsageException($"--shards: expected a number of shards from 1 up; got {count}");
        }
        if (index is null)
        {
            var text = environment(IndexVariable);
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new UsageException($"--shards {count} needs the shard index: --shard I or ${IndexVariable} (0 to {count - 1})");
            }
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                throw new UsageException($"${IndexVariable}: expected a shard index from 0 to {count - 1}; got \"{text}\"");
            }
            index = parsed;
        }
        if (index < 0 || index >= count)
        {
            throw new UsageException($"shard index {index} is out of range: with --shards {count} it is 0 to {count - 1}");
        }
        var runId = ResolveRunId(parse, environment)
            ?? throw new UsageException($"--shards needs the run id all shards share: --run-id ID or ${string.Join(" or $", RunIdVariables)}");
        return new Shard(index.Value, count.Value, runId);
    }
}

/// <summary>A command line that cannot work as given: exit 2 with this message.</summary>
internal sealed class UsageException(string message) : Exception(message);
