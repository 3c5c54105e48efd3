// SpecSchema: the copy built into the engine, which validates specs, is the schema the spec records generate.
using Etl.Spec;

namespace Etl.Core.Tests.Spec;

public sealed class SpecSchemaTests
{
    [Fact]
    public void Shipped_IsTheSchemaTheSpecRecordsGenerate()
    {
        // When this fails, a spec record changed: regenerate the file with
        // `dotnet run --project src/Etl.Cli -- schema > pipelines/pipeline.schema.json`.
        Assert.Equal(SpecSchema.Text, SpecSchema.Shipped);
    }
}
