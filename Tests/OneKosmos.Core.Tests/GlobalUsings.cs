global using Microsoft.VisualStudio.TestTools.UnitTesting;
global using OneKosmos.Tests.Shared;
