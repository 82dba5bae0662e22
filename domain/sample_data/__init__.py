"""Made-up data, apart from the model and the use cases: the demo company people try the bot
on (`releasebot demo`, `demo-data`) and the bulk orders benchmarks and tests load on top of
it. Nothing in the domain core imports it."""
