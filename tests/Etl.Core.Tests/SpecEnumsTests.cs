// SpecEnums: every enum a spec record holds has its converter made by name, so none is left to run-time generic code.
using System.Reflection;
using Etl.Spec;

namespace Etl.Core.Tests;

public sealed class SpecEnumsTests
{
    [Fact]
    public void Converters_CoverEveryEnumOfTheSpecRecords()
    {
        var covered = SpecEnums.Converters.Select(c => c.GetType().GetGenericArguments()[0]).ToHashSet();

        var missing = EnumsOf([typeof(PipelineSpec), .. Components.All.Select(d => d.SpecType)]).Where(e => !covered.Contains(e)).ToList();

        Assert.Empty(missing);
    }

    [Fact]
    public void ForComponents_ReadsAnEnumByItsCamelCaseName()
    {
        var options = SpecJson.ForComponents(["source:json", "sink:parquet"]);

        var spec = System.Text.Json.JsonSerializer.Deserialize<Etl.Sinks.ParquetSinkSpec>("""{ "path": "out", "mode": "errorIfExists" }""", options);

        Assert.Equal(SinkMode.ErrorIfExists, spec!.Mode);
    }

    private static HashSet<Type> EnumsOf(IEnumerable<Type> roots)
    {
        var seen = new HashSet<Type>();
        var enums = new HashSet<Type>();
        var pending = new Stack<Type>(roots);
        while (pending.TryPop(out var type))
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (!seen.Add(type))
            {
                continue;
            }
            if (type.IsEnum)
            {
                enums.Add(type);
                continue;
            }
            foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
            {
                pending.Push(argument);
            }
            if (type.Namespace?.StartsWith("Etl", StringComparison.Ordinal) == true)
            {
                foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
                {
                    pending.Push(property.PropertyType);
                }
            }
        }
        return enums;
    }
}
