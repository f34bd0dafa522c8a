using System.Threading;
using System.Threading.Tasks;
using OneKosmos.Relay.Dispatch;

namespace OneKosmos.Relay.Tests
{
    /// <summary>A token the test got from the sandbox's issuer up front: the relay's token source without MSAL.</summary>
    internal sealed class FixedToken(string token) : ITokenSource
    {
        public Task<string> GetTokenAsync(CancellationToken cancellation) => Task.FromResult(token);
    }
}
