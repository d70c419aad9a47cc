# Pretraining: loss against tokens seen
# Render from this directory: gnuplot pretraining-loss.gp  (writes pretraining-loss.png)
if (!exists("outfile")) outfile = 'pretraining-loss.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'Pretraining: loss against tokens seen'
set xlabel 'tokens seen (millions)'
set ylabel 'cross-entropy (nats/token)'
set key top right box opaque
set grid
set style fill transparent solid 0.2 noborder
set offsets 0, 0, graph 0.05, graph 0.05
plot 'pretraining-loss.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'training loss', \
     'pretraining-loss.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'validation loss', \
     6.17925532 with lines dt 2 lw 1.5 lc rgb '#333333' title 'unigram baseline', \
     2.55873407 with lines dt 4 lw 1.5 lc rgb '#333333' title 'bigram baseline'
