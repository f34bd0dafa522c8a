using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using OneKosmos.Relay.Queue;

namespace OneKosmos.Relay
{
    /// <summary><c>okos-relay dead-letters list | replay ID | purge</c>: looks after the messages the dispatcher gave up on.</summary>
    public static class DeadLetterCommands
    {
        public static async Task<int> RunAsync(IRelayQueue queue, string[] args)
        {
            switch (args.FirstOrDefault())
            {
                case "list":
                    foreach (var letter in await queue.DeadLettersAsync(CancellationToken.None))
                    {
                        Console.WriteLine($"{letter.Message.MessageId}\t{letter.DeadLetteredAt:u}\tattempts {letter.Attempts}\t{letter.Reason}");
                    }
                    return 0;
                case "replay" when args.Length == 2:
                    var replayed = await queue.ReplayAsync(args[1], CancellationToken.None);
                    Console.WriteLine(replayed
                        ? $"{args[1]} is back in the queue."
                        : $"{args[1]} was not re-queued (no dead letter has that id, or a message of that id is already queued); nothing was deleted.");
                    return replayed ? 0 : 1;
                case "purge":
                    Console.WriteLine($"Deleted {await queue.PurgeDeadLettersAsync(CancellationToken.None)} dead letter(s).");
                    return 0;
                default:
                    Console.Error.WriteLine("usage: okos-relay dead-letters list | replay <message id> | purge");
                    return 2;
            }
        }
    }
}
