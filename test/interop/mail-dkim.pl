#!/usr/bin/perl
# Interop harness for Mail::DKIM (Debian libmail-dkim-perl): reads one JSON request on stdin, prints JSON.
# Request: {"op": "verify", "records": {"<name>": "<TXT value>"}, "messages": ["<base64>", ...]}
#   -> [{"results": [{"result": "pass"|"fail"|"invalid"|..., "detail": "..."}, ...]}, ...] (topmost signature first)
#       or {"op": "sign", "key": "<PEM>", "domain", "selector", "canonicalization": "relaxed/simple",
#           "headers": "from:to:..." | null, "messages": [...]} -> ["<base64 of signature field + message>", ...]
# DNS is replaced by a lookup in the request's records: no network.
use strict;
use warnings;
use JSON::PP;
use MIME::Base64;
use Net::DNS;
use Mail::DKIM::Verifier;
use Mail::DKIM::Signer;
use Mail::DKIM::PrivateKey;

my $request = decode_json(do { local $/; <STDIN> });
my %records = map { lc($_) => $request->{records}{$_} } keys %{ $request->{records} || {} };

{
    no warnings 'redefine';
    *Mail::DKIM::DNS::query = sub {
        my ($name, $type) = @_;
        my $value = $records{ lc $name };
        if (!defined $value) { $@ = 'NXDOMAIN'; return; }
        my @strings = unpack('(A255)*', $value);
        $@ = 'NOERROR';
        return (Net::DNS::RR->new(name => $name, type => 'TXT', txtdata => [@strings]));
    };
}

sub verify_one {
    my ($message) = @_;
    my $dkim = Mail::DKIM::Verifier->new();
    $message =~ s/(?<!\r)\n/\r\n/g;
    $dkim->PRINT($message);
    $dkim->CLOSE;
    return { results => [ map { { result => $_->result, detail => ($_->result_detail // '') } } $dkim->signatures ] };
}

sub sign_one {
    my ($message) = @_;
    my $key = Mail::DKIM::PrivateKey->load(Data => $request->{key});
    my $signer = Mail::DKIM::Signer->new(
        Algorithm => 'rsa-sha256',
        Method    => $request->{canonicalization} || 'relaxed/simple',
        Domain    => $request->{domain},
        Selector  => $request->{selector},
        Key       => $key,
        (defined $request->{headers} ? (Headers => $request->{headers}) : ()),
    );
    (my $crlf = $message) =~ s/(?<!\r)\n/\r\n/g;
    $signer->PRINT($crlf);
    $signer->CLOSE;
    return encode_base64($signer->signature->as_string . "\r\n" . $message, '');
}

my @out;
for my $encoded (@{ $request->{messages} }) {
    my $message = decode_base64($encoded);
    push @out, $request->{op} eq 'verify' ? verify_one($message) : sign_one($message);
}
print encode_json(\@out);
