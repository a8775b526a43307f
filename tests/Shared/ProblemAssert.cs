using System.Net;
using System.Text.Json;

namespace P2P.Tests.Shared;

/// <summary>
/// Asserts RFC 9457 problem responses, the shape every error of the library and the samples has. Linked into every
/// test project that checks HTTP errors (tests/Shared), so all of them hold errors to the same rules.
/// </summary>
internal static class ProblemAssert
{
    /// <summary>
    /// <c>application/problem+json</c> with <paramref name="status"/> in the status line and the body, a title, an
    /// absolute <c>type</c> when one is given, and no stack trace. Returns the body.
    /// </summary>
    public static async Task<JsonElement> IsProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        if (problem.TryGetProperty("type", out var type))
        {
            Assert.StartsWith("https://", type.GetString(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        return problem;
    }

    /// <summary>The API-key scheme's 401: a problem without validation errors, and <c>WWW-Authenticate: ApiKey</c>.</summary>
    public static async Task IsUnauthorizedAsync(HttpResponseMessage response)
    {
        var problem = await IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.False(problem.TryGetProperty("errors", out _));
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "ApiKey");
    }

    /// <summary>A 400 problem whose <c>errors</c> dictionary names <paramref name="parameter"/>.</summary>
    public static async Task IsValidationProblemAsync(HttpResponseMessage response, string parameter)
    {
        var problem = await IsProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty(parameter, out var messages), $"No error for '{parameter}' in {problem}");
        Assert.NotEqual(0, messages.GetArrayLength());
    }
}
