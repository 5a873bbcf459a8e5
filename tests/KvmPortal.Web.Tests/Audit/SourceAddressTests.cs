using System.Net;
using KvmPortal.Web.Audit;
using Microsoft.AspNetCore.Http;

namespace KvmPortal.Web.Tests.Audit;

public sealed class SourceAddressTests
{
    [Theory]
    [InlineData("::ffff:192.0.2.10", "192.0.2.10")]
    [InlineData("192.0.2.11", "192.0.2.11")]
    [InlineData("2001:db8::5", "2001:db8::5")]
    public void The_client_address_is_recorded_in_its_plain_form(string remote, string recorded)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(remote);

        Assert.Equal(recorded, SourceAddress.Of(context));
    }

    [Fact]
    public void No_address_is_recorded_as_null() => Assert.Null(SourceAddress.Of(new DefaultHttpContext()));
}
