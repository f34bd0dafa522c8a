using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OneKosmos.Relay.Dispatch;

namespace OneKosmos.Relay
{
    /// <summary>Runs the dispatcher until the host stops.</summary>
    public sealed class DispatcherService : BackgroundService
    {
        private readonly Dispatcher _dispatcher;
        private readonly DispatcherOptions _options;
        private readonly ILogger<DispatcherService> _logger;

        public DispatcherService(Dispatcher dispatcher, DispatcherOptions options, ILogger<DispatcherService> logger)
        {
            _dispatcher = dispatcher;
            _options = options;
            _logger = logger;
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (await _dispatcher.DispatchOnceAsync(stoppingToken) == 0)
                    {
                        await Task.Delay(_options.IdleDelay, stoppingToken);
                    }
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception exception) when (exception is IOException or Microsoft.Data.Sqlite.SqliteException)
                {
                    _logger.LogError("The queue could not be read ({Error}); trying again shortly.", exception.Message);
                    await Task.Delay(_options.IdleDelay, stoppingToken);
                }
            }
        }
    }
}
