using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace P2P.ApiKeys.Tests.Admin;

/// <summary>Asserts that a response is an RFC 9457 problem with the expected status.</summary>
internal static class ProblemAssert
{
    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        return body;
    }
}
