// Tests of when an OAuth2 token is renewed: before it expires, by a margin that suits both long- and short-lived tokens.
using Etl.Sources.Http;

namespace Etl.Core.Tests.Sources.Http;

public sealed class OAuth2TokensTests
{
    [Fact]
    public void OAuth2Tokens_Defaults_ArePinned()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), OAuth2Tokens.RenewMargin);
        Assert.Equal(0.2, OAuth2Tokens.RenewMarginShare);
    }

    [Fact]
    public void OAuth2Tokens_HourLongToken_IsRenewedAMinuteBeforeItExpires()
    {
        Assert.Equal(TimeSpan.FromSeconds(3540), OAuth2Tokens.RenewAfter(TimeSpan.FromHours(1)));
    }

    [Fact]
    public void OAuth2Tokens_TenSecondToken_IsRenewedAfterEightSeconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(8), OAuth2Tokens.RenewAfter(TimeSpan.FromSeconds(10)));
    }
}
