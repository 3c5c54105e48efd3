// Utf8Int64: the plain-integer fast path reads every integer it accepts as the general parser does.
using System.Globalization;
using System.Text;
using Etl.Records;

namespace Etl.Core.Tests.Records;

public sealed class Utf8Int64Tests
{
    public static TheoryData<string> Forms() =>
    [
        "277493", "0", "-0", "-5", "007", "123456789012345678", "-123456789012345678", "1234567890123456789",
        "9223372036854775807", "-9223372036854775808", "", "-", "+5", " 5", "5 ", "1.0", "1e5", "1,5", "٣", "--1",
    ];

    [Theory]
    [MemberData(nameof(Forms))]
    public void Utf8Int64_AcceptedForm_ReadsAsTheGeneralParser(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (!Utf8Int64.TryParsePlain(bytes, out var fast))
        {
            return;
        }

        Assert.True(long.TryParse(bytes, NumberStyles.Integer, CultureInfo.InvariantCulture, out var expected));
        Assert.Equal(expected, fast);
    }

    [Theory]
    [InlineData("277493")]
    [InlineData("-5")]
    [InlineData("123456789012345678")]
    public void Utf8Int64_PlainInteger_IsAccepted(string text) => Assert.True(Utf8Int64.TryParsePlain(Encoding.UTF8.GetBytes(text), out _));
}
