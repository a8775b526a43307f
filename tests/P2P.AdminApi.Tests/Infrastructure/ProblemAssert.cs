using System.Net;
using System.Text.Json;

namespace P2P.AdminApi.Tests.Infrastructure;

/// <summary>Asserts RFC 9457 problem responses.</summary>
public static class ProblemAssert
{
    /// <summary>A 400 <c>application/problem+json</c> whose <c>errors</c> dictionary names <paramref name="parameter"/>.</summary>
    public static async Task IsValidationProblemAsync(HttpResponseMessage response, string parameter)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Expected 400, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal(400, json.RootElement.GetProperty("status").GetInt32());
        var errors = json.RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(parameter, out var messages), $"No error for '{parameter}' in {body}");
        Assert.NotEqual(0, messages.GetArrayLength());
    }
}
