module muster.dev/go-peer

go 1.19
