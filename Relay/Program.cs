using OneKosmos.Relay;

return await RelayProgram.RunAsync(args);
