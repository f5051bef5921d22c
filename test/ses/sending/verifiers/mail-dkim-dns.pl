#!/usr/bin/perl
# Mail::DKIM (Debian libmail-dkim-perl) verifying each message, with keys fetched over real DNS from loopback
# authoritative servers: CNAMEs are followed from server to server (customer zone -> provider zone).
# Request on stdin: {"servers": [{"suffix", "address", "port"}, ...], "messages": ["<base64>", ...]}
# Output: [[{"domain", "selector", "result", "detail"}, ...topmost first], ...]
use strict;
use warnings;
use JSON::PP;
use MIME::Base64;
use Net::DNS;
use Mail::DKIM::Verifier;

my $request = decode_json(do { local $/; <STDIN> });
my @servers = sort { length($b->{suffix}) <=> length($a->{suffix}) } @{ $request->{servers} };

sub server_for {
    my ($name) = @_;
    for my $server (@servers) {
        my $suffix = $server->{suffix};
        return $server if $suffix eq '' || $name eq $suffix || $name =~ /\.\Q$suffix\E$/;
    }
    die "no server for $name";
}

{
    no warnings 'redefine';
    *Mail::DKIM::DNS::query = sub {
        my ($name, $type) = @_;
        $name = lc $name;
        $name =~ s/\.$//;
        for (1 .. 8) {
            my $server = server_for($name);
            my $resolver = Net::DNS::Resolver->new(nameservers => [ $server->{address} ], port => $server->{port},
                recurse => 0, udp_timeout => 2, retry => 1);
            my $packet = $resolver->send($name, $type);
            if (!$packet) { $@ = 'SERVFAIL'; return; }
            my @here = grep { lc($_->name) eq $name } $packet->answer;
            my @txt = grep { $_->type eq $type } @here;
            if (@txt) { $@ = 'NOERROR'; return @txt; }
            my ($cname) = grep { $_->type eq 'CNAME' } @here;
            if (!$cname) { $@ = 'NXDOMAIN'; return; }
            ($name = lc $cname->cname) =~ s/\.$//;
        }
        $@ = 'SERVFAIL';
        return;
    };
}

my @out;
for my $encoded (@{ $request->{messages} }) {
    my $message = decode_base64($encoded);
    my $dkim = Mail::DKIM::Verifier->new();
    $dkim->PRINT($message);
    $dkim->CLOSE;
    push @out, [ map { { domain => $_->domain, selector => $_->selector, result => $_->result,
        detail => ($_->result_detail // '') } } $dkim->signatures ];
}
print encode_json(\@out);
