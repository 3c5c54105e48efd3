// Utf8Decimal: the plain-number fast path reads every number it accepts as the general parser does, scale included.
using System.Globalization;
using System.Text;
using Etl.Records;

namespace Etl.Core.Tests.Records;

public sealed class Utf8DecimalTests
{
    public static TheoryData<string> Forms() =>
    [
        "913.63", "0", "7", "-5", "0.10", "-0.01", "007.50", "100", "123456789012345678", "-123456789012345678",
        "1234567890123456789", "0.000000000000000001", "12345678.123456789", "-0", "-0.00", "0.00", ".5", "5.", "-", "",
        "+5", " 5", "5 ", "1e5", "1,5", "1.2.3", "--1", "1-", "٣", "99999999999999999.9", "-.5",
    ];

    [Theory]
    [MemberData(nameof(Forms))]
    public void Utf8Decimal_AcceptedForm_ReadsAsTheGeneralParserWithItsScale(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (!Utf8Decimal.TryParsePlain(bytes, out var fast))
        {
            return;
        }

        Assert.True(decimal.TryParse(bytes, NumberStyles.Float, CultureInfo.InvariantCulture, out var expected));
        Assert.Equal(decimal.GetBits(expected), decimal.GetBits(fast));
    }

    [Theory]
    [InlineData("913.63")]
    [InlineData("-5")]
    [InlineData("0.10")]
    public void Utf8Decimal_PlainNumber_IsAccepted(string text) => Assert.True(Utf8Decimal.TryParsePlain(Encoding.UTF8.GetBytes(text), out _));

    [Fact]
    public void Utf8Decimal_RandomPlainNumbers_ReadAsTheGeneralParserWithTheirScale()
    {
        var random = new Random(11);
        for (var n = 0; n < 5000; n++)
        {
            var whole = random.NextInt64(0, 1_000_000_000);
            var text = (random.Next(2) == 0 ? "-" : "") + whole + (random.Next(3) == 0 ? "" : "." + random.Next(0, 100_000).ToString("D" + random.Next(1, 6), CultureInfo.InvariantCulture));
            var bytes = Encoding.UTF8.GetBytes(text);

            var accepted = Utf8Decimal.TryParsePlain(bytes, out var fast);

            Assert.True(decimal.TryParse(bytes, NumberStyles.Float, CultureInfo.InvariantCulture, out var expected));
            Assert.True(accepted || expected == 0m, text);
            Assert.True(!accepted || decimal.GetBits(expected).SequenceEqual(decimal.GetBits(fast)), text);
        }
    }
}
