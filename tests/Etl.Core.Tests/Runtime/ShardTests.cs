// Tests of which shard a unit of work belongs to: a hash that every process computes the same, and the checks on N and I.
using Etl.Runtime;

namespace Etl.Core.Tests.Runtime;

public sealed class ShardTests
{
    [Fact]
    public void Shard_Of_IsTheSameInEveryProcess()
    {
        // Pinned (and checked against a separate XXH64 implementation, seed 0): a change here would split a run whose
        // shards run different builds differently, losing work or doing it twice.
        Assert.Equal([3, 0, 2, 0, 3, 0, 1, 2], Enumerable.Range(1, 8).Select(i => Shard.Of($"orders-{i}.csv", 4)));
    }

    [Fact]
    public void Shard_Owns_GivesEveryKeyToExactlyOneShard()
    {
        var keys = Enumerable.Range(0, 1000).Select(i => $"key-{i}").ToList();
        var shards = Enumerable.Range(0, 4).Select(i => new Shard(i, 4, "r1")).ToList();

        var owners = keys.Select(k => shards.Count(s => s.Owns(k))).ToList();

        Assert.All(owners, n => Assert.Equal(1, n));
        Assert.All(shards, s => Assert.InRange(keys.Count(s.Owns), 200, 300));
    }

    [Theory]
    [InlineData("/mnt/a/in/*.csv", "/mnt/a/in/2026/orders-1.csv", "2026/orders-1.csv")]
    [InlineData("s3://lake/in/**/*.csv", "s3://lake/in/x/orders-1.csv", "x/orders-1.csv")]
    [InlineData("/mnt/a/in", "/mnt/a/in/date=2026-11-28/part-0.parquet", "date=2026-11-28/part-0.parquet")]
    [InlineData("/mnt/a/in/orders-1.csv", "/mnt/a/in/orders-1.csv", "orders-1.csv")]
    public void Shard_FileKey_IsThePathBelowTheSourcesFixedFolder(string pattern, string path, string key)
    {
        Assert.Equal(key, Shard.FileKey(pattern, path));
    }

    [Fact]
    public void Shard_FileKey_SplitsTheSameFilesTheSameWayWhereverTheyAreMounted()
    {
        var names = Enumerable.Range(1, 12).Select(i => $"orders-{i}.csv").ToList();

        Assert.Equal(
            names.Select(n => Shard.Of(Shard.FileKey("/mnt/a/*.csv", "/mnt/a/" + n), 4)),
            names.Select(n => Shard.Of(Shard.FileKey("/tmp/b/c/*.csv", "/tmp/b/c/" + n), 4)));
    }

    [Theory]
    [InlineData(4, 0, 4)]
    [InlineData(0, 0, 1)]
    [InlineData(-1, 1, 4)]
    public void Shard_IndexOrCountOutOfRange_IsRefused(int index, int count, int _)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Shard(index, count, "r1"));
    }

    [Fact]
    public void Shard_RequestKey_TellsApartValuesThatJoinToTheSameText()
    {
        var a = Shard.RequestKey(new Dictionary<string, string> { ["a"] = "b=c" });
        var b = Shard.RequestKey(new Dictionary<string, string> { ["a=b"] = "c" });

        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Shard_ShareOf_DividesARateByTheShardCount()
    {
        Assert.Equal(50, new Shard(1, 4, "r1").ShareOf(200));
    }
}
