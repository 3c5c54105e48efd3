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
