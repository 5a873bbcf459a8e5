using KvmPortal.Web.Localization;

namespace KvmPortal.Web.Tests.Localization;

public sealed class CulturesTests
{
    [Theory]
    [InlineData("en", "en")]
    [InlineData("en-GB", "en")]
    [InlineData("zh", "zh-Hans")]
    [InlineData("zh-CN", "zh-Hans")]
    [InlineData("zh-SG", "zh-Hans")]
    [InlineData("zh-Hans-CN", "zh-Hans")]
    [InlineData("zh_CN", "zh-Hans")]
    [InlineData("zh-TW", null)]
    [InlineData("zh-Hant", null)]
    [InlineData("de-DE", null)]
    [InlineData("", null)]
    public void Browser_languages_map_onto_the_supported_cultures(string tag, string? expected) =>
        Assert.Equal(expected, Cultures.Match(tag));
}
