// The conformance suite of sources whose input can hold a malformed record: what every source does, plus rejecting it.
namespace Etl.Core.Tests.Sources.Conformance;

public abstract class RejectingSourceConformance<TCase> : SourceConformance<TCase>
    where TCase : IRejectingSourceCase, new()
{
    [Fact]
    public async Task Source_BadRecord_IsRejectedWithItsOrigin()
    {
        var file = InputFile();
        var expected = await Case.WriteWithBadRecordAsync(file, Sample);

        var output = await ReadAsync(file);

        Assert.Equal([expected.Origin], output.Rejections.Select(r => r.Origin));
    }

    [Fact]
    public async Task Source_BadRecord_KeepsTheRecordsAroundIt()
    {
        var file = InputFile();
        await Case.WriteWithBadRecordAsync(file, Sample);

        var output = await ReadAsync(file);

        Assert.Equal([1L, 2L, 3L], output.Values("id"));
    }

    [Fact]
    public async Task Source_BadRecord_RejectionCarriesTheRawText()
    {
        var file = InputFile();
        var expected = await Case.WriteWithBadRecordAsync(file, Sample);

        var output = await ReadAsync(file);

        Assert.Equal([expected.Raw], output.Rejections.Select(r => r.Raw));
    }
}
