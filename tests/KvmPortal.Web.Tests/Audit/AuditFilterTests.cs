using KvmPortal.Web.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace KvmPortal.Web.Tests.Audit;

public sealed class AuditFilterTests
{
    private static IQueryCollection Query(string queryString) => new QueryCollection(QueryHelpers.ParseQuery(queryString));

    [Fact]
    public void The_query_string_reads_back_as_the_same_filter()
    {
        var filter = new AuditFilter("alice", "web 1", "vm.", AuditResultFilter.Failed,
            new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8)), new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero));

        var query = filter.ToQueryString();

        Assert.True(AuditFilter.TryParse(Query(query), out var read, out _));
        Assert.Equal(filter, read);
        Assert.Contains("target=web%201", query);
    }

    [Fact]
    public void An_empty_filter_has_no_query_string_and_blank_values_are_ignored()
    {
        Assert.Equal("", new AuditFilter().ToQueryString());
        Assert.True(AuditFilter.TryParse(Query("?actor=%20&result=all"), out var read, out _));
        Assert.Equal(new AuditFilter(), read);
    }

    [Theory]
    [InlineData("?result=maybe")]
    [InlineData("?from=yesterday")]
    [InlineData("?to=2026-13-45")]
    public void Unreadable_values_are_refused_with_an_explanation(string query)
    {
        Assert.False(AuditFilter.TryParse(Query(query), out _, out var problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }
}
